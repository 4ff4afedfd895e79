import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { UserRef } from "../api/types";
import { LOOKUP_BATCH, UserDirectory, useUserRef, userLabel } from "./users";

/** A directory over a fake lookup that records each call's ids; flushing is by hand. */
function directory(users: UserRef[], fail = false) {
  const calls: number[][] = [];
  const runs: (() => void)[] = [];
  const dir = new UserDirectory(
    (ids) => {
      calls.push(ids);
      return fail ? Promise.reject(new Error("offline")) : Promise.resolve(users.filter((u) => ids.includes(u.id)));
    },
    (run) => runs.push(run),
  );
  return { dir, calls, runs };
}

const ann: UserRef = { id: 1, name: "Ann", avatar: null };
const li: UserRef = { id: 2, name: "李娜", avatar: "/api/attachments/5" };

describe("UserDirectory", () => {
  it("asks once for the ids requested together, and remembers them", async () => {
    const { dir, calls, runs } = directory([ann, li]);
    dir.request(1);
    dir.request(2);
    dir.request(1);
    dir.request(9);
    expect(runs).toHaveLength(1); // one flush scheduled
    expect(dir.get(1)).toBeUndefined();
    await dir.flush();
    expect(calls).toEqual([[1, 2, 9]]);
    expect([dir.get(1), dir.get(2), dir.get(9)]).toEqual([ann, li, null]); // 9: no such user
    dir.request(2);
    dir.request(9);
    expect(runs).toHaveLength(1);
    dir.forget(2);
    dir.request(2);
    await dir.flush();
    expect(calls).toEqual([[1, 2, 9], [2]]);
  });

  it("splits large requests into the API's batches", async () => {
    const { dir, calls } = directory([]);
    for (let id = 1; id <= LOOKUP_BATCH + 5; id += 1) dir.request(id);
    await dir.flush();
    expect(calls.map((c) => c.length)).toEqual([LOOKUP_BATCH, 5]);
  });

  it("gives up quietly when the lookup fails", async () => {
    const { dir } = directory([ann], true);
    dir.request(1);
    await dir.flush();
    expect(dir.get(1)).toBeNull();
    expect(userLabel(1, dir.get(1))).toBe("#1");
    expect(userLabel(1, ann)).toBe("Ann");
  });

  it("re-renders the components that use a user once it is in", async () => {
    const { dir, runs } = directory([li]);
    function Name({ id }: { id: number }) {
      const ref = useUserRef(id, dir);
      return <span>{ref === undefined ? "…" : userLabel(id, ref)}</span>;
    }
    render(
      <>
        <Name id={2} />
        <Name id={3} />
      </>,
    );
    expect(screen.getAllByText("…")).toHaveLength(2);
    await act(async () => {
      for (const run of runs.splice(0)) run();
      await Promise.resolve();
    });
    expect(await screen.findByText("李娜")).toBeInTheDocument();
    expect(screen.getByText("#3")).toBeInTheDocument();
  });
});
