-- CreateTable
CREATE TABLE "PreviewProgress" (
    "key" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "done" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PreviewProgress_pkey" PRIMARY KEY ("key")
);
