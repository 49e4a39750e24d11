// lint-as: components/charts/__boundaries_fixture__.tsx
import { LineChart } from 'recharts';
export const x = LineChart;
