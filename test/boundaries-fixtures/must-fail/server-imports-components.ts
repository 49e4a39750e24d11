// lint-as: server/api/__boundaries_fixture__.ts
import { Button } from '@/components/ui/button';
export const x = Button;
