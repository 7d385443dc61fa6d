// Placeholder until the CLI lands (next commit): keeps the tree configurable for every helper.
int main() { return 2; }
