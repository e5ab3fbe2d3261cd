import { manifoldTestConfig } from '../../vitest.shared';

export default manifoldTestConfig();
