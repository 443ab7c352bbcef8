# bench/sign_in.sh — sourced by the web benchmarks: `sign_in BASE USER` signs USER in to the
# anchornet server at BASE with $ANCHORNET_PASSWORD (the login form's pre-session CSRF token,
# then the session cookie) and prints the `Cookie` value, `anchornet_session=…`.
sign_in() {
    local base="$1" user="$2" jar token
    jar="$(mktemp)"
    token="$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')"
    curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$token&username=$user&password=$ANCHORNET_PASSWORD&next=/overview" "$base/login"
    echo "anchornet_session=$(awk '$6 == "anchornet_session" {print $7}' "$jar")"
    rm -f "$jar"
}
