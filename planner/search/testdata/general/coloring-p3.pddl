; Unsolvable: a triangle with two colours.
(define (problem coloring-p3) (:domain coloring)
  (:objects a b c - node red green - color)
  (:init (edge a b) (edge b c) (edge c a))
  (:goal (certified)))
