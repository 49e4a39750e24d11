// lint-as: server/services/telemetry/__boundaries_fixture__.ts
import { LineChart } from 'recharts';
export const x = LineChart;
