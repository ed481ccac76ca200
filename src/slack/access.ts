/** Who may see license data: empty lists mean everyone in the workspace. */
export interface AccessPolicy {
  channels: string[];
  users: string[];
}

/** `personal`: in no channel but the person's own space (their App Home), which the user list alone decides. */
export function isAllowed(
  policy: AccessPolicy,
  user: string | undefined,
  channel: string | undefined,
  personal = false,
): boolean {
  const userOk = policy.users.length === 0 || (user !== undefined && policy.users.includes(user));
  // A direct message is between the bot and one person: the user list decides it.
  const isDm = personal || (channel?.startsWith('D') ?? false);
  const channelOk =
    policy.channels.length === 0 || isDm || (channel !== undefined && policy.channels.includes(channel));
  return userOk && channelOk;
}
