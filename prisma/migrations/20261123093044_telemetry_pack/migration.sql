-- CreateTable
CREATE TABLE "TelemetryPack" (
    "instanceId" UUID NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "TelemetryPack_pkey" PRIMARY KEY ("instanceId","minute")
);

-- CreateIndex
CREATE INDEX "TelemetryPack_minute_idx" ON "TelemetryPack"("minute");

-- The packed floats do not compress; stored uncompressed the preview reads them as a plain copy.
ALTER TABLE "TelemetryPack" ALTER COLUMN "data" SET STORAGE EXTERNAL;
