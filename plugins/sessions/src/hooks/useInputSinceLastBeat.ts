import { useCallback, useEffect, useRef } from 'react';

/** What a person does to a tab they are using. */
const INPUT_EVENTS = [
  'keydown',
  'pointerdown',
  'pointermove',
  'wheel',
  'scroll',
  'touchstart',
  'focus',
] as const;

/**
 * Whether the person used this tab since the last time it was asked:
 * the returned function answers and starts counting again. Keyboard,
 * pointer, wheel, scroll, touch and the tab coming back into view or focus
 * count; a hidden tab answers `false` whatever happened, as nobody is
 * looking at it. Open tabs alone must not keep a sign-in active.
 */
export function useInputSinceLastBeat(): () => boolean {
  const input = useRef(false);

  useEffect(() => {
    const onInput = () => {
      input.current = true;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') input.current = true;
    };
    // Capture: also scrolls of inner elements, which do not bubble, and
    // events a component stops.
    const options = { passive: true, capture: true };
    for (const type of INPUT_EVENTS) {
      window.addEventListener(type, onInput, options);
    }
    document.addEventListener('visibilitychange', onVisibility, options);
    return () => {
      for (const type of INPUT_EVENTS) {
        window.removeEventListener(type, onInput, options);
      }
      document.removeEventListener('visibilitychange', onVisibility, options);
    };
  }, []);

  return useCallback(() => {
    const hadInput = input.current && document.visibilityState !== 'hidden';
    input.current = false;
    return hadInput;
  }, []);
}
