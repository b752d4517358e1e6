import { useEffect, useState } from 'react';
import type { Role } from '../../../shared/roles.js';
import { client } from '../api/client.js';
import { useCan } from './use-can.js';

export interface UserChoice {
  username: string;
  displayName: string;
  role: Role;
}

/**
 * The workspace's active users to choose from (users.choices), for roles that assign work: null while
 * they load, 'unlisted' when the role may not list them (or the listing failed), so the caller offers less.
 */
export function useUserChoices(): UserChoice[] | 'unlisted' | null {
  const canList = useCan('users.choices');
  const [users, setUsers] = useState<UserChoice[] | 'unlisted' | null>(canList ? null : 'unlisted');
  useEffect(() => {
    if (!canList) return;
    let live = true;
    void client.call('users.choices', {}).then((res) => {
      if (live) setUsers(res.ok ? res.value.items.map((u) => ({ username: u.username, displayName: u.displayName, role: u.role })) : 'unlisted');
    });
    return () => {
      live = false;
    };
  }, [canList]);
  return users;
}
