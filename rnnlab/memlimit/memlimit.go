// Package memlimit refuses work that cannot fit in memory before any of it
// is allocated: a command estimates the bytes its work needs and calls
// Check, which compares the estimate with what this process may use (see
// Available) and returns a one-line error saying how much is needed.
package memlimit

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// EnvVar names the environment variable that sets the memory rnnlab may use,
// in bytes or with a unit ("512M", "8G", "1.5GB"); it replaces MemAvailable
// (but not a smaller RLIMIT_AS).
const EnvVar = "RNNLAB_MEMORY_LIMIT"

// DefaultLimit is the memory assumed available, in bytes, where
// /proc/meminfo cannot be read (a system other than Linux): 8 GiB.
const DefaultLimit = 8 << 30

// Available returns the bytes of memory this process may use and where the
// figure comes from: RNNLAB_MEMORY_LIMIT when set, else MemAvailable of
// /proc/meminfo, else DefaultLimit; capped by what the process' cgroup has
// left (a Slurm job's --mem, a container's limit) and by the address-space
// limit (RLIMIT_AS, ulimit -v) when those are smaller. A
// RNNLAB_MEMORY_LIMIT that is not a size is an error.
func Available() (bytes float64, source string, err error) {
	bytes, source = DefaultLimit, "the default limit, /proc/meminfo being unreadable"
	if v, ok := os.LookupEnv(EnvVar); ok && v != "" {
		b, err := ParseSize(v)
		if err != nil {
			return 0, "", err
		}
		bytes, source = b, EnvVar
	} else if b, ok := memAvailable(); ok {
		bytes, source = b, "MemAvailable in /proc/meminfo"
	}
	if b, ok := cgroupAvailable(); ok && b < bytes {
		bytes, source = b, "the cgroup's memory limit less its usage"
	}
	if b, ok := addressLimit(); ok && b < bytes {
		bytes, source = b, "the address-space limit, ulimit -v"
	}
	return bytes, source, nil
}

// Check returns nil if need bytes fit in half of Available (Go's heap grows
// to about twice its live data before a collection), and otherwise a
// one-line error such as "a ctrnn network of 40000 units needs 39.9 GB of
// memory; 11.8 GB may be used (half of the 23.6 GB available: MemAvailable
// in /proc/meminfo; RNNLAB_MEMORY_LIMIT overrides it)". what describes the
// work. A NaN or negative need is refused too.
func Check(what string, need float64) error {
	avail, source, err := Available()
	if err != nil {
		return err
	}
	if need >= 0 && need <= avail/2 {
		return nil
	}
	return fmt.Errorf("%s needs %s of memory; %s may be used (half of the %s available: %s; %s overrides it)",
		what, Format(need), Format(avail/2), Format(avail), source, EnvVar)
}

// Format writes a number of bytes with a decimal unit: "512 B", "3.1 GB".
func Format(bytes float64) string {
	if math.IsNaN(bytes) || bytes < 0 {
		return "an unknown amount"
	}
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	i := 0
	for bytes >= 1000 && i < len(units)-1 {
		bytes /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", bytes)
	}
	return fmt.Sprintf("%.3g %s", bytes, units[i])
}

// ParseSize reads a size in bytes: a number with an optional unit k, M, G
// or T (powers of 1024; a trailing "B" or "iB" is allowed).
func ParseSize(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "i")
	mult := 1.0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			mult, t = 1<<10, t[:n-1]
		case 'm', 'M':
			mult, t = 1<<20, t[:n-1]
		case 'g', 'G':
			mult, t = 1<<30, t[:n-1]
		case 't', 'T':
			mult, t = 1<<40, t[:n-1]
		}
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: %q is not a size in bytes (e.g. 8G)", EnvVar, s)
	}
	return v * mult, nil
}

// memAvailable reads MemAvailable from /proc/meminfo.
func memAvailable() (float64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseFloat(fields[1], 64)
			if err != nil {
				return 0, false
			}
			return kb * 1024, true
		}
	}
	return 0, false
}
