-- DropIndex
DROP INDEX "Tick_startedAt_idx";

-- AlterTable
ALTER TABLE "TelemetrySample" ADD COLUMN     "rtMs" DOUBLE PRECISION,
ADD COLUMN     "up" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE UNIQUE INDEX "Tick_startedAt_key" ON "Tick"("startedAt");
