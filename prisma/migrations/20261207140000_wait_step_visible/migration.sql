-- A wait step is recorded when it starts waiting (status `waiting`), with the time it wakes up.
ALTER TYPE "StepStatus" ADD VALUE 'waiting';
ALTER TABLE "RunStep" ADD COLUMN "wakeAt" TIMESTAMP(3);
