import { useEffect, useState } from 'react';

/** One slow shared tick for ages and countdowns; never a per-component fast timer. */
export function useClock(intervalMs = 1000, now: () => number = Date.now): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, now]);
  return time;
}
