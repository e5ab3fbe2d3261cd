// An interpreter that diverges from every recorded history (it starts with a timer, not the run's first
// record write): replay.test.ts proves with it that the replay check does fail on a breaking change.
import { sleep } from '@temporalio/workflow';

export async function interpretRun(): Promise<void> {
  await sleep(1);
}
