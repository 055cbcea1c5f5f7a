import { useEffect, useState } from 'react';

/** One slow shared tick for ages and countdowns; never a per-component fast timer. Stands still while not `active`. */
export function useClock(intervalMs = 1000, active = true, now: () => number = Date.now): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return;
    setTime(now());
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active, now]);
  return time;
}
