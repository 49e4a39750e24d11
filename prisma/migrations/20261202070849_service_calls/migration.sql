-- CreateTable
CREATE TABLE "ServiceCall" (
    "callerId" UUID NOT NULL,
    "calleeId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceCall_pkey" PRIMARY KEY ("callerId","calleeId")
);

-- CreateIndex
CREATE INDEX "ServiceCall_calleeId_idx" ON "ServiceCall"("calleeId");

-- AddForeignKey
ALTER TABLE "ServiceCall" ADD CONSTRAINT "ServiceCall_callerId_fkey" FOREIGN KEY ("callerId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceCall" ADD CONSTRAINT "ServiceCall_calleeId_fkey" FOREIGN KEY ("calleeId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A service does not call itself (the graph is a DAG; cycles through several services are refused by the command).
ALTER TABLE "ServiceCall" ADD CONSTRAINT "ServiceCall_not_self" CHECK ("callerId" <> "calleeId");
