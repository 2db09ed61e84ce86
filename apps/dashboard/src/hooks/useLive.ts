'use client';
// Data that stays current: loaded once, replaced by each event on `topic` while the WebSocket is live, and
// reloaded every `pollMs` while it is not (the polling fallback).
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../lib/api-client';
import { useApp } from '../components/AppProvider';

export interface Live<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload(): Promise<void>;
  setData(data: T): void;
}

export function useLive<T>(topic: string | null, load: (() => Promise<T>) | null, pollMs = 5000, fromEvent?: (data: unknown) => T | undefined): Live<T> {
  const { stream, streamStatus } = useApp();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const loadRef = useRef(load);
  loadRef.current = load;
  const fromEventRef = useRef(fromEvent);
  fromEventRef.current = fromEvent;

  const reload = useCallback(async () => {
    const current = loadRef.current;
    if (!current) return;
    setLoading(true);
    try {
      setData(await current());
      setError(null);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoading(false);
    }
  }, []);

  // A new loader (another path, another service) means new data.
  useEffect(() => {
    setData(undefined);
    setError(null);
    void reload();
  }, [load, reload]);

  useEffect(() => {
    if (!stream || !topic) return;
    return stream.subscribe(topic, (eventData) => {
      const mapped = fromEventRef.current ? fromEventRef.current(eventData) : (eventData as T);
      if (mapped === undefined) void reload();
      else setData(mapped);
    });
  }, [stream, topic, reload]);

  const live = streamStatus === 'live' && topic !== null;
  useEffect(() => {
    if (live || !load) return;
    const timer = setInterval(() => void reload(), pollMs);
    return () => clearInterval(timer);
  }, [live, load, pollMs, reload]);

  return { data, error, loading, reload, setData };
}
