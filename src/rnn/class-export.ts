/**
 * The layer and optimizer classes as `rnn` exports them. A reader coming from Keras writes
 * `rnn.LSTM({ units: 5 })`; a JavaScript class called without `new` throws "Class constructor
 * Un cannot be invoked without 'new'", with the minified name of the production build. The
 * exported value is therefore the class behind a Proxy that behaves as the class in every
 * way (`new`, `instanceof`, static members, subclassing) except that a call without `new`
 * throws a TypeError naming the factory and the `new` spelling.
 */

type AnyClass = abstract new (...args: never[]) => unknown;

/** `cls` as exported by `rnn`: calling it without `new` throws an error naming `rnn.<factory>` and `new rnn.<Name>`. */
export function classExport<C extends AnyClass>(cls: C, exportName: string, factory: string | null): C {
  return new Proxy(cls, {
    apply(): never {
      const useFactory = factory ? `use rnn.${factory}(...) or new rnn.${exportName}(...)` : `use new rnn.${exportName}(...)`;
      throw new TypeError(`rnn.${exportName} is a class and cannot be called without 'new': ${useFactory}.`);
    },
  });
}
