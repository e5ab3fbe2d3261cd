-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "retryOfRunId" TEXT;
