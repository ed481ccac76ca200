/** Who may see license data: empty lists mean everyone in the workspace. */
export interface AccessPolicy {
  channels: string[];
  users: string[];
}

export function isAllowed(policy: AccessPolicy, user: string | undefined, channel: string | undefined): boolean {
  const userOk = policy.users.length === 0 || (user !== undefined && policy.users.includes(user));
  // A direct message is between the bot and one person: the user list decides it.
  const isDm = channel?.startsWith('D') ?? false;
  const channelOk =
    policy.channels.length === 0 || isDm || (channel !== undefined && policy.channels.includes(channel));
  return userOk && channelOk;
}
