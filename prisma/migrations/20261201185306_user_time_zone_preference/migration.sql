-- CreateEnum
CREATE TYPE "TimeZonePreference" AS ENUM ('utc', 'local');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "timeZone" "TimeZonePreference" NOT NULL DEFAULT 'utc';
