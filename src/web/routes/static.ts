/** Pages, the bundled scripts and stylesheet, and the files of run folders (nothing else on disk is reachable). */
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { drawPage } from '../pages/draw-page.js';
import { runsPage } from '../pages/runs-page.js';
import { LAB_CSS } from '../pages/style.js';
import { trainPage } from '../pages/train-page.js';
import { listRuns, servedType } from '../runs-index.js';
import { fileForUrl, urlSegments } from '../safe-path.js';
import { WebError } from '../errors.js';

export interface StaticDeps {
  readonly runsRoot: string;
  /** Where `scripts/bundle-web.mjs` put the page scripts (`dist/web/`). */
  readonly assetsDir: string;
}

/** Our own pages: scripts only from this server, no inline script, nothing framed, WebAssembly allowed. */
const PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Files from run folders (reports, plots): no scripts at all, whatever they contain. */
const FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src data:; sandbox";
const ASSET_NAME = /^(?:[a-z0-9-]+\.js(?:\.map)?|kernels(?:-native)?\.wasm)$/;

function html(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('Content-Security-Policy', PAGE_CSP).header('Cache-Control', 'no-cache').send(body);
}

/** Registers the pages, `/assets/*` and `/files/*` on `app`. */
export function registerStatic(app: FastifyInstance, deps: StaticDeps): void {
  app.get('/', async (_req, reply) => reply.redirect('/runs'));
  app.get('/runs', async (_req, reply) => html(reply, runsPage(listRuns(deps.runsRoot), deps.runsRoot)));
  app.get('/train', async (_req, reply) => html(reply, trainPage()));
  app.get('/draw', async (_req, reply) => html(reply, drawPage()));

  // The pages name an empty icon, but a run's file opened on its own (a plot, results.json) has the browser ask for
  // /favicon.ico: from a sandboxed document, so another origin's request, which the pages' cross-origin embedder
  // policy blocks unless the answer allows it. No icon, and no error in the browser's console.
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).header('Cross-Origin-Resource-Policy', 'cross-origin').send());
  app.get('/assets/style.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'no-cache').send(LAB_CSS));
  app.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
    const name = req.params.name;
    const path = join(deps.assetsDir, name);
    if (!ASSET_NAME.test(name) || !existsSync(path)) {
      throw new WebError(404, `no asset ${JSON.stringify(name)}${existsSync(deps.assetsDir) ? '' : ' (the page scripts are not built: run `npm run build`)'}`);
    }
    const type = name.endsWith('.map') ? 'application/json' : name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8';
    return reply.type(type).header('Cache-Control', 'no-cache').send(createReadStream(path));
  });

  // Works on the raw URL: a framework's decoding must not turn `%2f` into a separator before the check.
  app.get('/files/*', async (req, reply) => {
    const raw = req.raw.url ?? '';
    const path = raw.split('?')[0]!.slice('/files/'.length);
    const file = fileForUrl(deps.runsRoot, path);
    const type = file === null ? undefined : servedType(file);
    if (file === null || type === undefined) {
      const segments = urlSegments(path);
      // A path that could be a run file names it (a report whose folder was deleted); a refused one is not echoed.
      throw new WebError(404, segments === null || file !== null ? 'not found' : `there is no file ${segments.join('/')} in the runs folder (was its run folder deleted or moved?)`);
    }
    return reply
      .type(type)
      .header('Content-Security-Policy', FILE_CSP)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'no-cache')
      .send(createReadStream(file));
  });
}
