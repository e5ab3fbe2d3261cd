// Waiting on a run through the REST API, as a client would.
import { expect, type APIRequestContext } from '@playwright/test';

/** Polls the run until its status matches `pattern` (by default: it has ended); resolves with its body. */
export async function waitForRunStatus(request: APIRequestContext, apiKey: string, id: string, pattern = /succeeded|failed|cancelled/) {
  let body: { status: string } & Record<string, unknown> = { status: 'queued' };
  await expect
    .poll(
      async () => {
        body = await (await request.get(`/api/v1/runs/${id}`, { headers: { Authorization: `Bearer ${apiKey}` } })).json();
        return body.status;
      },
      { timeout: 60_000, intervals: [200, 500, 1000] },
    )
    .toMatch(pattern);
  return body;
}
