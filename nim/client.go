package nim

// Client asks NIM and xCAT typed questions through an Executor.
type Client struct {
	Exec *Executor
}

// NewClient returns a Client that runs its queries with e.
func NewClient(e *Executor) *Client { return &Client{Exec: e} }
