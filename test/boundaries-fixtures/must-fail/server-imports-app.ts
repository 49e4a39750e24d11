// lint-as: server/jobs/__boundaries_fixture__.ts
import { currentUser } from '../../app/_server/session';
export const x = currentUser;
