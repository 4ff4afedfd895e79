/** The user stamps (created_by, updated_by): a user's name where the app may know it. */

import { Tag } from "antd";
import { useEffect, useState } from "react";

import { api } from "../api/client";
import type { JSONValue, User } from "../api/types";
import { isAdmin, useSession } from "../kernel/session";
import type { FieldTypeUI } from "./types";
import { refId } from "./values";

// Administrators may list users (GET /api/users): loaded once per page load, on first need.
let directory: Promise<Map<number, string>> | null = null;

function loadDirectory(): Promise<Map<number, string>> {
  directory ??= api<{ data: User[] }>("GET", "/api/users")
    .then(({ data }) => new Map(data.map((u) => [u.id, u.name || u.email])))
    .catch(() => new Map<number, string>());
  return directory;
}

function UserName({ value }: { value: JSONValue | undefined }) {
  const { user } = useSession();
  const id = refId(value);
  const mine = id !== null && id === user?.id ? user.name || user.email : null;
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (id === null || mine || !isAdmin(user)) return;
    let live = true;
    void loadDirectory().then((names) => live && setName(names.get(id) ?? null));
    return () => {
      live = false;
    };
  }, [id, mine, user]);
  if (id === null) return null;
  return <Tag variant="filled">{mine ?? name ?? `#${id}`}</Tag>;
}

const stamp = (key: string): FieldTypeUI => ({
  key,
  kind: "ref",
  writable: false,
  inline: false,
  creatable: false,
  width: 140,
  render: (value) => <UserName value={value} />,
});

export const userTypes: FieldTypeUI[] = [stamp("created_by"), stamp("updated_by")];
