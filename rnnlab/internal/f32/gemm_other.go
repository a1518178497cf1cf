//go:build !amd64

package f32

// gemmISAs holds only the pure-Go kernel off amd64.
var gemmISAs = []*gemmISA{&gemmGo}

// fmaPeak measures nothing off amd64.
func fmaPeak(n int) int { return 0 }
