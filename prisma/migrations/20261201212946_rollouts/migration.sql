-- CreateEnum
CREATE TYPE "RolloutState" AS ENUM ('pending', 'progressing', 'paused', 'promoting', 'succeeded', 'aborted', 'rolled_back');

-- CreateEnum
CREATE TYPE "RolloutPauseReason" AS ENUM ('step_pause', 'awaiting_approval', 'inconclusive_analysis', 'guard', 'halted', 'manual');

-- CreateEnum
CREATE TYPE "RolloutAbortReason" AS ENUM ('manual', 'analysis_failed', 'approval_rejected', 'approval_expired');

-- CreateEnum
CREATE TYPE "StepRunState" AS ENUM ('running', 'waiting', 'done', 'skipped', 'aborted');

-- CreateEnum
CREATE TYPE "ApprovalRequestState" AS ENUM ('open', 'approved', 'rejected', 'expired');

-- CreateEnum
CREATE TYPE "ApprovalVerdict" AS ENUM ('approve', 'reject');

-- CreateEnum
CREATE TYPE "AnalysisKind" AS ENUM ('step', 'background');

-- CreateEnum
CREATE TYPE "AnalysisVerdict" AS ENUM ('running', 'pass', 'fail', 'inconclusive');

-- DropForeignKey
ALTER TABLE "Approval" DROP CONSTRAINT "Approval_rolloutId_fkey";

-- DropIndex
DROP INDEX "Rollout_serviceId_status_idx";

-- DropIndex
DROP INDEX "RolloutStepRun_rolloutId_stepIndex_idx";

-- DropIndex
DROP INDEX "AnalysisRun_rolloutId_at_idx";

-- AlterTable
ALTER TABLE "Rollout" DROP COLUMN "analysis",
DROP COLUMN "authorId",
DROP COLUMN "authorName",
DROP COLUMN "canaryWeight",
DROP COLUMN "headerRules",
DROP COLUMN "status",
DROP COLUMN "statusReason",
DROP COLUMN "steps",
ADD COLUMN     "abortReason" "RolloutAbortReason",
ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "createdById" UUID,
ADD COLUMN     "createdByName" TEXT NOT NULL,
ADD COLUMN     "desiredRouting" JSONB,
ADD COLUMN     "pauseReason" "RolloutPauseReason",
ADD COLUMN     "routingVersion" INTEGER,
ADD COLUMN     "spec" JSONB NOT NULL,
ADD COLUMN     "startedById" UUID,
ADD COLUMN     "startedByName" TEXT,
ADD COLUMN     "state" "RolloutState" NOT NULL DEFAULT 'pending',
ADD COLUMN     "stateDetail" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "RolloutStepRun" DROP COLUMN "result",
DROP COLUMN "status",
ADD COLUMN     "appliedAt" TIMESTAMP(3),
ADD COLUMN     "attempt" INTEGER NOT NULL,
ADD COLUMN     "heldBy" JSONB,
ADD COLUMN     "outcome" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "overrideAt" TIMESTAMP(3),
ADD COLUMN     "overrideById" UUID,
ADD COLUMN     "overrideByName" TEXT,
ADD COLUMN     "overrideReason" TEXT,
ADD COLUMN     "routing" JSONB,
ADD COLUMN     "routingVersion" INTEGER,
ADD COLUMN     "state" "StepRunState" NOT NULL DEFAULT 'running';

-- AlterTable
ALTER TABLE "AnalysisRun" DROP COLUMN "at",
DROP COLUMN "details",
DROP COLUMN "metrics",
ADD COLUMN     "attempt" INTEGER NOT NULL,
ADD COLUMN     "config" JSONB NOT NULL,
ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "endsAt" TIMESTAMP(3),
ADD COLUMN     "kind" "AnalysisKind" NOT NULL,
ADD COLUMN     "result" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "startedAt" TIMESTAMP(3) NOT NULL,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL,
DROP COLUMN "verdict",
ADD COLUMN     "verdict" "AnalysisVerdict" NOT NULL DEFAULT 'running';

-- DropTable
DROP TABLE "Approval";

-- DropEnum
DROP TYPE "RolloutStatus";

-- CreateTable
CREATE TABLE "ApprovalRequest" (
    "id" UUID NOT NULL,
    "rolloutId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "quorum" INTEGER NOT NULL,
    "onExpiry" TEXT NOT NULL,
    "state" "ApprovalRequestState" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "ApprovalRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalDecision" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "approverId" UUID NOT NULL,
    "approverName" TEXT NOT NULL,
    "decision" "ApprovalVerdict" NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApprovalDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RolloutEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rolloutId" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "stepIndex" INTEGER,
    "kind" TEXT NOT NULL,
    "fromState" "RolloutState",
    "toState" "RolloutState",
    "summary" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "RolloutEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RolloutTemplate" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "spec" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RolloutTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VersionSample" (
    "at" TIMESTAMP(3) NOT NULL,
    "serviceId" UUID NOT NULL,
    "appVersion" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "instances" INTEGER NOT NULL,
    "requests" DOUBLE PRECISION NOT NULL,
    "errors" DOUBLE PRECISION NOT NULL,
    "buckets" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],

    CONSTRAINT "VersionSample_pkey" PRIMARY KEY ("serviceId","at","appVersion","zone")
);

-- CreateIndex
CREATE INDEX "ApprovalRequest_state_expiresAt_idx" ON "ApprovalRequest"("state", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalRequest_rolloutId_attempt_stepIndex_key" ON "ApprovalRequest"("rolloutId", "attempt", "stepIndex");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalDecision_requestId_approverId_key" ON "ApprovalDecision"("requestId", "approverId");

-- CreateIndex
CREATE INDEX "RolloutEvent_rolloutId_id_idx" ON "RolloutEvent"("rolloutId", "id");

-- CreateIndex
CREATE INDEX "RolloutEvent_serviceId_at_idx" ON "RolloutEvent"("serviceId", "at");

-- CreateIndex
CREATE INDEX "RolloutEvent_at_idx" ON "RolloutEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "RolloutTemplate_serviceId_key" ON "RolloutTemplate"("serviceId");

-- CreateIndex
CREATE INDEX "VersionSample_at_idx" ON "VersionSample"("at");

-- CreateIndex
CREATE INDEX "Rollout_serviceId_createdAt_idx" ON "Rollout"("serviceId", "createdAt");

-- CreateIndex
CREATE INDEX "Rollout_state_updatedAt_idx" ON "Rollout"("state", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RolloutStepRun_rolloutId_attempt_stepIndex_key" ON "RolloutStepRun"("rolloutId", "attempt", "stepIndex");

-- CreateIndex
CREATE UNIQUE INDEX "AnalysisRun_rolloutId_attempt_stepIndex_key" ON "AnalysisRun"("rolloutId", "attempt", "stepIndex");

-- AddForeignKey
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ApprovalRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Constraints Prisma cannot express: illegal rollout states are unrepresentable.
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_pause_reason_iff_paused"
  CHECK (("state" = 'paused') = ("pauseReason" IS NOT NULL));
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_abort_reason_iff_aborted"
  CHECK (("state" IN ('aborted', 'rolled_back')) = ("abortReason" IS NOT NULL));
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_positive_counters"
  CHECK ("attempt" >= 1 AND "currentStep" >= 0 AND "version" >= 1);
ALTER TABLE "Rollout" ADD CONSTRAINT "Rollout_versions_differ"
  CHECK ("stableVersion" <> "canaryVersion");
-- One rollout owns a service's routing at a time.
CREATE UNIQUE INDEX "Rollout_one_active_per_service" ON "Rollout" ("serviceId")
  WHERE "state" IN ('progressing', 'paused', 'promoting', 'aborted');
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_quorum"
  CHECK ("quorum" BETWEEN 1 AND 10);
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_on_expiry"
  CHECK ("onExpiry" IN ('stay-paused', 'abort'));
ALTER TABLE "ApprovalRequest" ADD CONSTRAINT "ApprovalRequest_closed_iff_not_open"
  CHECK (("state" = 'open') = ("closedAt" IS NULL));
ALTER TABLE "ApprovalDecision" ADD CONSTRAINT "ApprovalDecision_reason_given"
  CHECK (length(btrim("reason")) > 0);
ALTER TABLE "RolloutStepRun" ADD CONSTRAINT "RolloutStepRun_override_has_reason"
  CHECK (("overrideById" IS NULL) = ("overrideReason" IS NULL));
