"""The staff board: hosts sign in with a PIN and follow their site's visits live."""
