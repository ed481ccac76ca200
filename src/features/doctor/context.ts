/** What both doctors (`npm run doctor`, `/lma doctor`) build their context from. */
import { readFileSync } from 'node:fs';
import type { Config } from '../../config.js';
import type { LmoClient } from '../../lma/client.js';
import { FLOW_NAMES } from '../../lma/salesforce.js';
import type { LmoSession } from './types.js';

/** manifest.yml at the repository root: three levels up from src/features/doctor/ and from dist/features/doctor/. */
const MANIFEST = new URL('../../../manifest.yml', import.meta.url);

/** The bot scopes manifest.yml asks for (`oauth_config.scopes.bot`), read without a YAML parser. */
export function manifestBotScopes(text: string = readFileSync(MANIFEST, 'utf8')): string[] {
  const scopes: string[] = [];
  let indent: number | undefined;
  for (const line of text.split('\n')) {
    const bot = /^(\s*)bot:\s*(#.*)?$/.exec(line);
    if (bot) {
      indent = bot[1]!.length;
      continue;
    }
    if (indent === undefined || line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^(\s*)-\s*([\w:.-]+)/.exec(line);
    if (!item || item[1]!.length <= indent) break;
    scopes.push(item[2]!);
  }
  return scopes;
}

/** "refresh-token flow", "embedded demo LMO", … */
export function lmoFlow(config: Config | undefined): string {
  if (!config) return 'no Salesforce flow (the configuration is invalid)';
  return config.lmo.kind === 'embedded' ? 'embedded demo LMO' : FLOW_NAMES[config.lmo.auth.kind];
}

/** Signs in at most once per doctor run, whichever check asks first. */
export function once(connect: () => Promise<LmoSession>): () => Promise<LmoSession> {
  let session: Promise<LmoSession> | undefined;
  return () => {
    session ??= connect().catch((error: unknown) => ({
      ok: false as const,
      error: error instanceof Error ? error.message : String(error),
    }));
    return session;
  };
}

/** The API versions an org offers, oldest first (one call, which needs no session). */
export async function offeredVersions(client: LmoClient): Promise<string[]> {
  return (await client.resource<{ version: string }[]>('/services/data/')).map((v) => v.version);
}
