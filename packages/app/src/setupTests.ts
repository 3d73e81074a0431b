import '@testing-library/jest-dom';

jest.setTimeout(60_000);
