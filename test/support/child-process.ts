/**
 * An entry point run in its own Node process, with its output captured line by line, for tests that need a real
 * process: killed with SIGKILL, stopped with SIGTERM, or kept off the test's event loop. A TypeScript entry runs
 * through tsx (as `npm start`); a compiled `.js` one (dist/index.js) under plain Node, as production runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  /** stdout and stderr lines, in arrival order. */
  lines: string[];
  /** Resolves with the first line (past or future) matching `pattern`; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(
  entry: string,
  env: Record<string, string>,
  options: { cwd?: string; args?: string[]; nodeArgs?: string[] } = {},
): Child {
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a grandchild that a SIGKILL would
  // leave running. The condition makes our workspace packages load from their TypeScript sources, as `npm start` does.
  const loader = entry.endsWith('.js') ? [] : ['--conditions=@lma-bot/source', '--import', 'tsx'];
  const args = [...(options.nodeArgs ?? []), ...loader, entry, ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    // No .env from the working tree: the test's settings only.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DOTENV_CONFIG_PATH: '/nonexistent/.env',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<() => void>();
  let exitedAlready = false;
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      for (const notify of [...listeners]) notify();
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedAlready = true;
      for (const notify of [...listeners]) notify();
      resolve({ code, signal });
    }),
  );
  const waitForLine = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const done = () => {
        listeners.delete(check);
        clearTimeout(timer);
      };
      const check = () => {
        const line = lines.find((l) => pattern.test(l));
        if (line !== undefined) {
          done();
          resolve(line);
        } else if (exitedAlready) {
          done();
          reject(new Error(`child exited before printing ${pattern}. Output:\n${lines.slice(-20).join('\n')}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`child did not print ${pattern} within ${timeoutMs} ms. Output:\n${lines.slice(-20).join('\n')}`),
        );
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return { process: child, lines, waitForLine, exited };
}

/** Ends a child that is still running (SIGKILL) and waits for it. */
export async function stopChild(child: Child | undefined): Promise<void> {
  if (!child) return;
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await child.exited;
}
