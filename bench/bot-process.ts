/**
 * The bot exactly as `npm start` runs it (src/index.ts, configured by the environment), plus one thing for the
 * benchmark: when the benchmark's IPC channel closes — it exited, even killed outright — the bot stops too.
 */
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
await import('../src/index.js');
