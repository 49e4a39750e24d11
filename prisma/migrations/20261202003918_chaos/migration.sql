-- No code ever wrote the pre-redesign chaos tables; clear them so NOT NULL columns can be added.
DELETE FROM "Injection";
DELETE FROM "ExperimentRun";
DELETE FROM "Experiment";
DELETE FROM "FreezeWindow";

-- CreateEnum
CREATE TYPE "ScheduleConcurrency" AS ENUM ('forbid', 'allow', 'replace');

-- CreateEnum
CREATE TYPE "ExperimentRunState" AS ENUM ('pending', 'injecting', 'running', 'recovering', 'completed', 'aborted', 'failed', 'skipped');

-- CreateEnum
CREATE TYPE "ExperimentAbortReason" AS ENUM ('manual', 'abort_condition', 'steady_state', 'guard', 'frozen', 'halted', 'lease_lost', 'replaced', 'injection_failed');

-- CreateEnum
CREATE TYPE "ExperimentRunTrigger" AS ENUM ('manual', 'schedule');

-- CreateEnum
CREATE TYPE "ExperimentTargetState" AS ENUM ('selected', 'injected', 'recovered', 'could_not_inject', 'could_not_recover');

-- CreateEnum
CREATE TYPE "InjectionRemoveReason" AS ENUM ('completed', 'aborted', 'halted', 'lease_lapsed', 'expired', 'orphan');

-- CreateEnum
CREATE TYPE "FreezeKind" AS ENUM ('one_off', 'recurring');

-- AlterEnum
ALTER TYPE "RolloutPauseReason" ADD VALUE 'frozen';

-- DropIndex
DROP INDEX "ExperimentRun_experimentId_createdAt_idx";

-- DropIndex
DROP INDEX "ExperimentRun_status_idx";

-- DropIndex
DROP INDEX "Injection_removedAt_expiresAt_idx";

-- DropIndex
DROP INDEX "FreezeWindow_startsAt_endsAt_idx";

-- AlterTable
ALTER TABLE "Experiment" DROP COLUMN "abortConditions",
DROP COLUMN "authorId",
DROP COLUMN "authorName",
DROP COLUMN "blastRadiusPct",
DROP COLUMN "cohort",
DROP COLUMN "durationS",
DROP COLUMN "enabled",
DROP COLUMN "fault",
DROP COLUMN "schedule",
DROP COLUMN "target",
DROP COLUMN "template",
ADD COLUMN     "archivedAt" TIMESTAMP(3),
ADD COLUMN     "createdById" UUID,
ADD COLUMN     "createdByName" TEXT NOT NULL,
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "spec" JSONB NOT NULL,
ADD COLUMN     "templateKey" TEXT;

-- AlterTable
ALTER TABLE "ExperimentRun" DROP COLUMN "overrideReason",
DROP COLUMN "scheduledFor",
DROP COLUMN "startedAt",
DROP COLUMN "status",
DROP COLUMN "statusReason",
ADD COLUMN     "abortReason" "ExperimentAbortReason",
ADD COLUMN     "experimentVersion" INTEGER NOT NULL,
ADD COLUMN     "faultsRemovedAt" TIMESTAMP(3),
ADD COLUMN     "freezeOverrideById" UUID,
ADD COLUMN     "freezeOverrideByName" TEXT,
ADD COLUMN     "freezeOverrideReason" TEXT,
ADD COLUMN     "guardOverrideById" UUID,
ADD COLUMN     "guardOverrideByName" TEXT,
ADD COLUMN     "guardOverrideReason" TEXT,
ADD COLUMN     "injectedAt" TIMESTAMP(3),
ADD COLUMN     "number" INTEGER NOT NULL,
ADD COLUMN     "runUntil" TIMESTAMP(3),
ADD COLUMN     "scheduleId" UUID,
ADD COLUMN     "skipReason" TEXT,
ADD COLUMN     "spec" JSONB NOT NULL,
ADD COLUMN     "state" "ExperimentRunState" NOT NULL DEFAULT 'pending',
ADD COLUMN     "stateDetail" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "trigger" "ExperimentRunTrigger" NOT NULL DEFAULT 'manual',
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL;

-- AlterTable
ALTER TABLE "Injection" DROP COLUMN "adapter",
DROP COLUMN "adapterRef",
DROP COLUMN "kind",
DROP COLUMN "ownerId",
DROP COLUMN "params",
ADD COLUMN     "adapterKind" TEXT NOT NULL,
ADD COLUMN     "backend" TEXT,
ADD COLUMN     "cohort" JSONB,
ADD COLUMN     "desired" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "lastError" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "leaseOwner" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "platformExpiresAt" TIMESTAMP(3),
ADD COLUMN     "spec" JSONB NOT NULL,
ADD COLUMN     "targetId" UUID,
ALTER COLUMN "runId" SET NOT NULL,
ALTER COLUMN "instanceId" SET NOT NULL,
ALTER COLUMN "leaseExpiresAt" SET NOT NULL,
DROP COLUMN "removeReason",
ADD COLUMN     "removeReason" "InjectionRemoveReason";

-- AlterTable
ALTER TABLE "FreezeWindow" DROP COLUMN "scope",
ADD COLUMN     "appliesToExperiments" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "appliesToRollouts" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "cron" TEXT,
ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "durationMin" INTEGER,
ADD COLUMN     "kind" "FreezeKind" NOT NULL,
ADD COLUMN     "name" TEXT NOT NULL,
ALTER COLUMN "startsAt" DROP NOT NULL,
ALTER COLUMN "endsAt" DROP NOT NULL;

-- DropEnum
DROP TYPE "RunStatus";

-- CreateTable
CREATE TABLE "ExperimentSchedule" (
    "id" UUID NOT NULL,
    "experimentId" UUID NOT NULL,
    "cron" TEXT NOT NULL,
    "concurrency" "ScheduleConcurrency" NOT NULL DEFAULT 'forbid',
    "historyLimit" INTEGER NOT NULL DEFAULT 10,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "nextRunAt" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "createdById" UUID,
    "createdByName" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExperimentSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentRunTarget" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "instanceId" UUID NOT NULL,
    "instanceName" TEXT NOT NULL,
    "serviceName" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "state" "ExperimentTargetState" NOT NULL DEFAULT 'selected',
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ExperimentRunTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentRunEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "runId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "fromState" "ExperimentRunState",
    "toState" "ExperimentRunState",
    "summary" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "ExperimentRunEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Halt" (
    "id" UUID NOT NULL,
    "engagedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "engagedById" UUID,
    "engagedByName" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "releasedAt" TIMESTAMP(3),
    "releasedById" UUID,
    "releasedByName" TEXT,
    "releaseReason" TEXT,
    "faultsClearedAt" TIMESTAMP(3),

    CONSTRAINT "Halt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExperimentSchedule_enabled_nextRunAt_idx" ON "ExperimentSchedule"("enabled", "nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentRunTarget_runId_instanceId_key" ON "ExperimentRunTarget"("runId", "instanceId");

-- CreateIndex
CREATE INDEX "ExperimentRunEvent_runId_id_idx" ON "ExperimentRunEvent"("runId", "id");

-- CreateIndex
CREATE INDEX "ExperimentRunEvent_at_idx" ON "ExperimentRunEvent"("at");

-- CreateIndex
CREATE INDEX "Halt_engagedAt_idx" ON "Halt"("engagedAt");

-- CreateIndex
CREATE INDEX "ExperimentRun_state_updatedAt_idx" ON "ExperimentRun"("state", "updatedAt");

-- CreateIndex
CREATE INDEX "ExperimentRun_createdAt_idx" ON "ExperimentRun"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentRun_experimentId_number_key" ON "ExperimentRun"("experimentId", "number");

-- CreateIndex
CREATE INDEX "Injection_desired_removedAt_idx" ON "Injection"("desired", "removedAt");

-- CreateIndex
CREATE INDEX "FreezeWindow_kind_deletedAt_idx" ON "FreezeWindow"("kind", "deletedAt");

-- AddForeignKey
ALTER TABLE "ExperimentSchedule" ADD CONSTRAINT "ExperimentSchedule_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentRun" ADD CONSTRAINT "ExperimentRun_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "ExperimentSchedule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentRunTarget" ADD CONSTRAINT "ExperimentRunTarget_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ExperimentRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Constraints Prisma cannot express: illegal chaos states are unrepresentable.
ALTER TABLE "ExperimentRun" ADD CONSTRAINT "ExperimentRun_abort_reason_states"
  CHECK (("state" = 'aborted') <= ("abortReason" IS NOT NULL) AND ("abortReason" IS NULL OR "state" IN ('recovering', 'aborted', 'failed')));
ALTER TABLE "ExperimentRun" ADD CONSTRAINT "ExperimentRun_skip_reason_iff_skipped"
  CHECK (("state" = 'skipped') = ("skipReason" IS NOT NULL));
ALTER TABLE "ExperimentRun" ADD CONSTRAINT "ExperimentRun_positive_counters"
  CHECK ("number" >= 1 AND "version" >= 1 AND "experimentVersion" >= 1);
ALTER TABLE "ExperimentRun" ADD CONSTRAINT "ExperimentRun_guard_override_has_reason"
  CHECK (("guardOverrideById" IS NULL) = ("guardOverrideReason" IS NULL));
ALTER TABLE "ExperimentRun" ADD CONSTRAINT "ExperimentRun_freeze_override_has_reason"
  CHECK (("freezeOverrideById" IS NULL) = ("freezeOverrideReason" IS NULL));
ALTER TABLE "ExperimentRun" ADD CONSTRAINT "ExperimentRun_ended_iff_terminal"
  CHECK (("state" IN ('completed', 'aborted', 'failed', 'skipped')) = ("endedAt" IS NOT NULL));
ALTER TABLE "ExperimentSchedule" ADD CONSTRAINT "ExperimentSchedule_history_limit"
  CHECK ("historyLimit" BETWEEN 1 AND 100);
ALTER TABLE "Injection" ADD CONSTRAINT "Injection_expiry_after_creation"
  CHECK ("expiresAt" > "createdAt");
-- The reason may be written when removal is asked (desired = false), before the platform confirms it.
ALTER TABLE "Injection" ADD CONSTRAINT "Injection_removed_has_reason"
  CHECK ("removedAt" IS NULL OR "removeReason" IS NOT NULL);
ALTER TABLE "Injection" ADD CONSTRAINT "Injection_removed_not_desired"
  CHECK ("removedAt" IS NULL OR NOT "desired");
-- One engaged halt at a time.
CREATE UNIQUE INDEX "Halt_one_engaged" ON "Halt" ((true)) WHERE "releasedAt" IS NULL;
ALTER TABLE "Halt" ADD CONSTRAINT "Halt_reasons_given"
  CHECK (length(btrim("reason")) > 0 AND ("releasedAt" IS NULL) = ("releaseReason" IS NULL) AND ("releaseReason" IS NULL OR length(btrim("releaseReason")) > 0));
ALTER TABLE "FreezeWindow" ADD CONSTRAINT "FreezeWindow_shape"
  CHECK (("kind" = 'one_off' AND "startsAt" IS NOT NULL AND "endsAt" IS NOT NULL AND "endsAt" > "startsAt" AND "cron" IS NULL AND "durationMin" IS NULL)
      OR ("kind" = 'recurring' AND "cron" IS NOT NULL AND "durationMin" BETWEEN 1 AND 10080));
ALTER TABLE "FreezeWindow" ADD CONSTRAINT "FreezeWindow_applies_to_something"
  CHECK ("appliesToRollouts" OR "appliesToExperiments");
