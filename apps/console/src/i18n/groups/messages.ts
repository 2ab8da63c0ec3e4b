/** A locale's texts: the same keys as the English ones, any strings (so every key must be translated). */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
