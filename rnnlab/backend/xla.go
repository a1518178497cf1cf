//go:build xla

package backend

import _ "github.com/gomlx/go-xla/compute/xla" // XLA (CPU, CUDA) through PJRT plugins
