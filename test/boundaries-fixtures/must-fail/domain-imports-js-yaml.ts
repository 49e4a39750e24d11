// lint-as: server/domain/rollouts/__boundaries_fixture__.ts
import jsYaml from 'js-yaml';
export const x = jsYaml;
