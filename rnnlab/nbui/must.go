package nbui

// Must returns v, or panics with err when it is not nil: in a notebook
// cell a panic is how an error reaches the reader. It takes a function's
// two results, run := nbui.Must(pipeline.LoadRun(dir)).
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Must2 is Must for a function that returns two values and an error.
func Must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}
