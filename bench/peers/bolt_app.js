// The Bolt for JavaScript peer of the ingest benchmark: Bolt's own HTTP receiver and signature
// check, and a `message` listener doing trivial work (counting), as a minimal Slack bot would.
// Usage: node bolt_app.js <port> <signing secret>. Prints "ready <port>" once listening.
const { App, LogLevel } = require('@slack/bolt');

const port = Number(process.argv[2]);
const app = new App({
  signingSecret: process.argv[3],
  // Answered locally: the benchmark never lets Bolt call the Web API (no auth.test per event).
  authorize: async () => ({ botToken: 'xoxb-bench-not-used', botId: 'BBENCH', botUserId: 'UBOTBENCH' }),
  logLevel: process.env.BOLT_DEBUG ? LogLevel.DEBUG : LogLevel.ERROR,
});

let messages = 0;
app.message(async () => {
  messages += 1;
});

process.on('SIGTERM', () => {
  console.log(`messages ${messages}`);
  process.exit(0);
});

(async () => {
  await app.start({ port, host: '127.0.0.1' });
  console.log(`ready ${port}`);
})();
