import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// A fresh clone on a 2-core CI machine transforms every module on first use:
// the first render of the page can take seconds. Waits end on the awaited
// state, so generous limits cost nothing when things are fast.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
