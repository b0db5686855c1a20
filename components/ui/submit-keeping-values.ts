/**
 * React resets a `<form action={…}>` after every submission, refused ones included, so a user
 * would lose what they typed (and a <select> would show a stale choice). Submitting through
 * onSubmit instead runs the same action without the reset; without JavaScript the form still
 * posts to the action.
 */
import { startTransition, type FormEvent } from "react";

export function submitKeepingValues(action: (data: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => action(data));
  };
}
