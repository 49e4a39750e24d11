-- DropIndex
DROP INDEX "TelemetrySample_at_idx";

-- CreateIndex
CREATE INDEX "TelemetrySample_at_idx" ON "TelemetrySample" USING BRIN ("at");
