import { manifoldTestConfig } from '../../vitest.shared.ts';

export default manifoldTestConfig();
