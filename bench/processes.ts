/**
 * The processes the benchmark starts: compiled JavaScript under plain Node, as production runs the bot (`npm run
 * build`'s dist/index.js; the floor and the LMO from tsconfig.bench.json), each ONE node process (its pid is the
 * process we measure, not a wrapper), in its own process group, with its output in a log file.
 * Every one is stopped at the end, also on failure: `stopAll` in a finally, and a synchronous kill on exit.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<string>;
}

export interface SpawnOptions {
  /** A compiled .js file (see `compiled`). */
  entry: string;
  args?: string[];
  env: Record<string, string>;
  cwd: string;
  logDir: string;
  /** Extra node flags (e.g. --cpu-prof, --import). */
  nodeFlags?: string[];
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_OUT = join(ROOT, 'dist', 'bench', 'bench');

/** The compiled entry points, by absolute path (the bot runs in a scratch directory). */
export const compiled = {
  bot: join(ROOT, 'dist', 'index.js'),
  floor: join(BENCH_OUT, 'floor-app.js'),
  lmo: join(BENCH_OUT, 'lmo-process.js'),
  /**
   * The stand-in LMO's young generation (semi-spaces up to 64 MB, V8's default 16): a query's rows die young instead
   * of being promoted into the old space, whose collections — at 100,000 licenses, a heap of 300–500 MB — were most of
   * the CPU it spent on conversions (45 ms a call with the default, 16 with this, in one run of each).
   */
  lmoFlags: ['--max-semi-space-size=64'],
  /** Node flags that preload the bot's stop-when-the-benchmark-goes and its event-loop probe (bench/bot-probe.ts). */
  botFlags: ['exit-with-parent.js', 'bot-probe.js'].flatMap((file) => [
    '--import',
    pathToFileURL(join(BENCH_OUT, file)).href,
  ]),
};

/** `npm run build` and the benchmark's own processes (tsconfig.bench.json); incremental, so cheap when current. */
export function compile(): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json', 'tsconfig.bench.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

const running = new Set<Child>();
const STOP_GRACE_MS = 3_000;

export function spawnNode(name: string, options: SpawnOptions): Child {
  const logFile = join(options.logDir, `${name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    detached: true, // its own process group, killed as a whole
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const handle: Child = { name, pid: child.pid, process: child, logFile, exited };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** SIGTERM to the process group, SIGKILL after a grace period. */
export async function stop(child: Child): Promise<void> {
  if (!running.has(child)) return;
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), STOP_GRACE_MS);
  await child.exited;
  clearTimeout(timer);
  running.delete(child);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stop));
}

/** For process.on('exit'), where nothing asynchronous runs: kill every group still there. */
export function killAllNow(): void {
  for (const child of running) signalGroup(child.pid, 'SIGKILL');
  running.clear();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Resolves with the first IPC message of that type; rejects if the process exits or the time runs out. */
export function nextMessage<T extends { type: string }>(child: Child, type: T['type'], timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if ((message as { type?: string })?.type !== type) return;
      done();
      resolve(message as T);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${child.name} sent no "${type}" within ${timeoutMs} ms; see ${child.logFile}`));
    }, timeoutMs);
    const onExit = () => {
      done();
      reject(new Error(`${child.name} exited before sending "${type}"; see ${child.logFile}:\n${tail(child.logFile)}`));
    };
    const done = () => {
      clearTimeout(timer);
      child.process.off('message', onMessage);
      child.process.off('exit', onExit);
    };
    child.process.on('message', onMessage);
    child.process.once('exit', onExit);
  });
}

/** Sends a request over IPC and waits for the reply of the same type. */
export function ask<T extends { type: string }>(
  child: Child,
  request: { type: T['type']; [field: string]: unknown },
  timeoutMs = 10_000,
): Promise<T> {
  const reply = nextMessage<T>(child, request.type, timeoutMs);
  child.process.send(request);
  return reply;
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A port free on loopback right now (for a process that takes its port from the environment). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface Memory {
  /** Resident set size now, MB. */
  rssMb: number;
  /** Peak resident set size since start (or since `resetPeak`), MB. */
  peakMb: number;
}

/** VmRSS and VmHWM of a process from /proc (Linux). */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Seconds an idle RSS reading must hold within 1 MB. */
const STEADY_SECONDS = 10;

/**
 * RSS once a process is idle again, in MB. Right after traffic it still holds the heap V8 grew for it, which V8's
 * memory reducer gives back after some seconds without work (10 to 25 s for the bot), in steps some seconds apart: read
 * each second until it has fallen below 90% of the first reading and then held within 1 MB for 10 s, or `maxSeconds`
 * passed (a process with nothing to give back). On a loaded machine a step came more than 5 s after the one before
 * (a reading of 190 MB where the next step gave 135).
 */
export async function idleRssMb(pid: number, maxSeconds = 60): Promise<number> {
  const first = readMemory(pid).rssMb;
  const samples: number[] = [];
  for (let s = 0; s < maxSeconds; s++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    samples.push(readMemory(pid).rssMb);
    const last = samples.slice(-STEADY_SECONDS);
    if (last.length === STEADY_SECONDS && Math.max(...last) - Math.min(...last) <= 1 && last[0]! < first * 0.9) break;
  }
  return samples.at(-1) ?? first;
}

/** Resets VmHWM to the current RSS (writing 5 to clear_refs); false where the kernel does not allow it. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times: 100 on Linux for every common architecture. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
