print("portcullis: not yet implemented")
