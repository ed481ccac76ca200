/**
 * Preloaded into the compiled bot (`node --import dist/bench/bench/exit-with-parent.js dist/index.js`), its one
 * addition for the benchmark: when the benchmark's IPC channel closes — it exited, even killed outright — the bot
 * stops too, with the SIGTERM it handles as in production.
 */
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
