-- AlterTable
ALTER TABLE "TelemetryRollup" ADD COLUMN     "breakerCounts" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "degradationCounts" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "stageActiveCounts" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "stageBlockedCounts" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "stageIdleCounts" INTEGER[] DEFAULT ARRAY[]::INTEGER[];
