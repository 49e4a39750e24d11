-- AlterTable
ALTER TABLE "RolloutStepRun" ADD COLUMN     "freezeOverrideAt" TIMESTAMP(3),
ADD COLUMN     "freezeOverrideById" UUID,
ADD COLUMN     "freezeOverrideByName" TEXT,
ADD COLUMN     "freezeOverrideReason" TEXT;

-- A freeze override is recorded with its reason (rollouts.overrideFreeze), never without.
ALTER TABLE "RolloutStepRun" ADD CONSTRAINT "RolloutStepRun_freeze_override_has_reason"
  CHECK (("freezeOverrideAt" IS NULL) = ("freezeOverrideReason" IS NULL) AND ("freezeOverrideReason" IS NULL OR length(btrim("freezeOverrideReason")) > 0));
