/**
 * Replicas: throughput at p99 ≤ 1 s of one compiled bot and of two, both on one fresh Postgres schema (dropped after)
 * and one LMO, the closed loop's users spread over them. The URL is TEST_DATABASE_URL's, as the tests use it
 * (default postgres://postgres@127.0.0.1:5432/test); without a reachable Postgres the figures say why not.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdentifier } from '../src/store/postgres.js';
import type { BenchPlan } from './args.js';
import { type Bot, throughputStep } from './measure.js';
import { stop } from './processes.js';
import type { ReplicaFigures, ThroughputStep } from './results.js';
import type { Session, StartBot, WithBot } from './session.js';
import { driverFor } from './slack.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A step counts while its p99 answer latency stays within this, as in each size's throughput search. */
const P99_LIMIT_MS = 1_000;

export async function benchReplicas(
  session: Session,
  phase: NonNullable<BenchPlan['replicas']>,
  run: { withBot: WithBot; startBot: StartBot; progress: (message: string) => void },
): Promise<ReplicaFigures> {
  const { licenses, steps } = phase;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  } catch (error) {
    await admin.end();
    return { licenses, one: [], two: [], why: `no Postgres at ${DATABASE_URL}: ${(error as Error).message}` };
  }
  const url = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const env = { DATABASE_URL: url };
  try {
    return await run.withBot(
      session,
      licenses,
      `replicas-${licenses}`,
      async (rig, lmo) => {
        const second = await run.startBot(session, lmo, `replica-2-${licenses}`, env);
        const bots: Bot[] = [
          rig.bot,
          { child: second.child, driver: driverFor(rig.slack, second.port), port: second.port },
        ];
        const texts = ['trials', 'renewals 30', 'conversions 30', `status ${lmo.customer}`];
        const search = async (over: Bot[]) => {
          const found: ThroughputStep[] = [];
          for (const concurrency of steps) {
            const { plan } = session;
            const step = await throughputStep(
              rig,
              texts,
              plan.throughputCommands,
              concurrency,
              plan.throughputSeconds,
              over,
            );
            found.push(step);
            if (step.answer.p99 > P99_LIMIT_MS || step.failures > 0) break;
          }
          return found;
        };
        try {
          run.progress(`replicas: one, then two, at ${steps.join(', ')} concurrent (Postgres schema ${schema})`);
          return { licenses, one: await search(bots.slice(0, 1)), two: await search(bots) };
        } finally {
          await stop(second.child);
        }
      },
      env,
    );
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await admin.end();
  }
}
