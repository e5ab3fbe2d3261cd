// An interpreter that diverges from every recorded history (each workflow starts with a timer, not its first
// record write): replay.test.ts proves with it that the replay check does fail on a breaking change, for runs and
// for a wide map's chunks (child workflows) alike.
import { sleep } from '@temporalio/workflow';

export async function interpretRun(): Promise<void> {
  await sleep(1);
}

export async function interpretMapChunk(): Promise<void> {
  await sleep(1);
}
