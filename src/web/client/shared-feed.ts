/**
 * One event stream for all of a browser's tabs of the lab. Every tab asks for a Web Lock; the tab that gets it
 * (the leader) opens `/api/events` and posts each event on a BroadcastChannel, and the others (followers) read
 * the channel. The lock is held until the leader's tab closes; then the next tab waiting for it takes over, and its
 * stream's hello (the full job list) reaches every tab. A tab that starts while another leads asks for the current
 * list ('need-snapshot'), which the leader answers with a hello from its mirror of the list.
 */
import { openEventSource, type FeedEvent } from './event-stream.js';
import { JobMirror } from './job-mirror.js';

const CHANNEL = 'kindling-lab-events';
const LOCK = 'kindling-lab-events-leader';

type ChannelMessage = FeedEvent | { readonly type: 'need-snapshot' };

export function sharedFeed(onEvent: (e: FeedEvent) => void): void {
  const channel = new BroadcastChannel(CHANNEL);
  /** Set while this tab leads. */
  let mirror: JobMirror | null = null;
  channel.addEventListener('message', (m: MessageEvent<ChannelMessage>) => {
    const msg = m.data;
    if (msg.type === 'need-snapshot') {
      const hello = mirror?.snapshot();
      if (hello) channel.postMessage({ type: 'hello', data: hello } satisfies ChannelMessage);
    } else if (mirror === null) {
      // A leader has its own stream; the channel's news (from a leader that was closing) is not for it.
      onEvent(msg);
    }
  });
  channel.postMessage({ type: 'need-snapshot' } satisfies ChannelMessage);
  void navigator.locks.request(LOCK, () => {
    const own = new JobMirror();
    mirror = own;
    openEventSource((e) => {
      own.apply(structuredClone(e));
      channel.postMessage(e);
      onEvent(e);
    });
    // Never settles: the lock is this tab's until it closes.
    return new Promise<never>(() => {});
  });
}
