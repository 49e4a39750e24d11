// lint-as: server/services/telemetry/__boundaries_fixture__.ts
import pg from 'pg';
import { STAGES } from '../../domain/model';
import { db } from '../../db/client';
import { enqueueJob } from '../../db/job-queue';
import { LIVE_CHANNEL } from '../../live/topics';
import { ADAPTER_KINDS } from '../../platform/registry';
import { hashPassword } from '../../auth/password';
import { AppError } from '../../errors';
export const x = [pg, STAGES, db, enqueueJob, LIVE_CHANNEL, ADAPTER_KINDS, hashPassword, AppError];
