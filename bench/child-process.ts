// How the bench's child processes (PyTorch's script, the memory probe) ended, and what they printed last.

/** The last non-empty line of a process's output, or "". */
export function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/** How a process ended: "exit 2", or "stopped by SIGTERM". */
export function exitOf(r: { status: number | null; signal: NodeJS.Signals | null }): string {
  return r.signal !== null ? `stopped by ${r.signal}` : `exit ${r.status}`;
}
